"""Person names for the synthetic catalog, shipped with the package (nothing is fetched).

Each list is ordered from common to rare; the generator weights by rank. Given names are
formal forms ("Robert", not "Bob"): nicknames are noise, drawn from ``catalog.nicknames``.
An underscore in a name stands for a space ("van_Dijk").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NameLocale:
    code: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]


def _names(text: str) -> tuple[str, ...]:
    # dict.fromkeys drops repeats and keeps the rank order.
    return tuple(dict.fromkeys(word.replace("_", " ") for word in text.split()))


LOCALES: dict[str, NameLocale] = {
    "en": NameLocale(
        "en",
        male=_names("""
            James John Robert Michael William David Richard Joseph Thomas Charles
            Christopher Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua
            Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob
            Gary Nicholas Eric Jonathan Stephen Scott Brandon Benjamin Samuel Gregory
            Alexander Frank Patrick Raymond Dennis Tyler Aaron Adam Nathan Henry
            Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger
            Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan
            Bruce Gabriel Logan Albert Alan Wayne Elijah Vincent Ralph Eugene Russell
            Mason Philip Louis Oliver Theodore Owen Callum Connor Lucas Isaac Hugo
            Frederick Malcolm Graham Neil Stuart Ian Martin Simon Colin Nigel Rhys
        """),
        female=_names("""
            Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen
            Lisa Nancy Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol
            Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia
            Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha
            Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather
            Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina
            Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Gloria
            Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Joanne
            Sophia Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa
            Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori Chloe Fiona
            Eleanor Harriet Imogen Lucy Rosalind Gemma Siobhan Valerie Gabrielle
        """),
        last=_names("""
            Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
            Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin
            Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker
            Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson
            Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans
            Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy
            Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard
            Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray
            Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross
            Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler
            Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson
            Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes
            Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro
            Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells
            Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson
            Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks
            Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren
            Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver
            Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez
            Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong
            Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman
            Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence Sandoval
            Guerrero George Chapman Rios Estrada Ortega Watkins Greene Nunez Wheeler
            Valdez Harper Burke Larson Santiago Maldonado Morrison Franklin Carlson
            Austin Dominguez Carr Lawson Jacobs OBrien Lynch Singh Vega Bishop
            Montgomery Oliver Jensen Harvey Williamson Gilbert Dean Sims Espinoza Howell
            Li Wong Zhang Liu Wang Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin
            Kowalski Novak Nowak Ivanov Petrov Okafor Adeyemi Mensah Haddad Khalil Cohen
            Levy Friedman Goldberg Shapiro Katz Murphy Kelly Byrne Walsh OConnor Doyle
            McCarthy Gallagher Doherty Kennedy Lynch Quinn Brennan Fitzgerald Clarke
            Hughes Lloyd Price Davies Evans Thomas Roberts Morgan Griffiths Pritchard
            Ashworth Blackwood Whitmore Pemberton Fairbanks Thornton Cavendish Langley
        """),
    ),
    "de": NameLocale(
        "de",
        male=_names("""
            Thomas Michael Andreas Stefan Christian Markus Frank Peter Klaus Jürgen
            Alexander Martin Matthias Tobias Sebastian Florian Daniel Jan Lukas Jonas
            Maximilian Felix Tim Paul Niklas Philipp Johannes Wolfgang Dieter Uwe
            Bernd Ralf Sven Torsten Carsten Holger Dirk Jörg Günter Helmut Friedrich
            Manfred Rainer Joachim Volker Simon Moritz Leon Benedikt Dominik Fabian
        """),
        female=_names("""
            Sabine Claudia Susanne Andrea Petra Nicole Stefanie Julia Katharina Anna
            Laura Lena Lea Sarah Hannah Sophie Marie Johanna Christina Melanie Sandra
            Birgit Heike Monika Ursula Renate Karin Gabriele Brigitte Ingrid Ute
            Annette Kerstin Tanja Silke Anja Jana Franziska Theresa Miriam Elisabeth
            Charlotte Clara Greta Ida Luisa Paula Jessica Vanessa Carina Svenja
        """),
        last=_names("""
            Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann
            Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann
            Braun Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz Krause Meier
            Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber
            Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel
            Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann
            Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher
            Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas
            Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch
            Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer Brenner Eichhorn Wendt
        """),
    ),
    "fr": NameLocale(
        "fr",
        male=_names("""
            Jean Pierre Michel Philippe Alain Nicolas Christophe Patrick Laurent
            Stéphane Sébastien Julien Frédéric Olivier Éric David Thierry Pascal
            Vincent François Antoine Thomas Maxime Alexandre Guillaume Romain Mathieu
            Hugo Louis Lucas Gabriel Arthur Raphaël Jules Théo Clément Benoît Damien
            Jérôme Cédric Emmanuel Bruno Didier Gilles Xavier Yves Jean-Pierre Jean-Luc
        """),
        female=_names("""
            Marie Nathalie Isabelle Sylvie Catherine Françoise Valérie Christine
            Sandrine Céline Stéphanie Sophie Aurélie Julie Camille Léa Manon Chloé
            Emma Inès Sarah Laura Pauline Mathilde Claire Anne Hélène Émilie Caroline
            Virginie Audrey Élodie Charlotte Juliette Margaux Lucie Alice Agathe
            Océane Delphine Béatrice Brigitte Monique Martine Véronique Marie-Claire
        """),
        last=_names("""
            Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent
            Simon Michel Lefebvre Leroy Roux David Bertrand Morel Fournier Girard
            Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure
            André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand
            Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu
            Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer
            Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard
            Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin
            Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier
        """),
    ),
    "es": NameLocale(
        "es",
        male=_names("""
            Antonio José Manuel Francisco David Juan Javier Daniel Carlos Jesús
            Alejandro Miguel Rafael Pablo Pedro Ángel Sergio Fernando Jorge Luis
            Alberto Álvaro Diego Adrián Raúl Enrique Ramón Vicente Andrés Rubén Óscar
            Iván Santiago Mario Hugo Marcos Guillermo Ignacio Gonzalo Emilio
        """),
        female=_names("""
            María Carmen Ana Isabel Laura Cristina Marta Lucía Elena Pilar Dolores
            Paula Sara Raquel Rosa Teresa Patricia Beatriz Silvia Julia Irene Andrea
            Alba Claudia Nuria Mónica Sofía Natalia Rocío Inmaculada Verónica Eva
            Lorena Alicia Esther Marina Noelia Victoria Sandra Miriam
        """),
        last=_names("""
            García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez
            Martín Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso
            Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez Serrano
            Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz
            Núñez Iglesias Medina Garrido Cortés Castillo Santos Lozano Guerrero Cano
            Prieto Méndez Cruz Calvo Gallego Vidal León Márquez Herrera Peña Flores
            Cabrera Campos Vega Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar
        """),
    ),
    "it": NameLocale(
        "it",
        male=_names("""
            Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro
            Salvatore Carlo Franco Domenico Bruno Paolo Michele Giorgio Roberto
            Stefano Marco Andrea Luca Alessandro Matteo Lorenzo Davide Simone Federico
            Riccardo Tommaso Gabriele Fabio Massimo Alberto Claudio Enrico Emanuele
        """),
        female=_names("""
            Maria Anna Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Caterina
            Francesca Alessandra Chiara Giulia Sara Martina Valentina Federica Elena
            Silvia Laura Paola Roberta Elisa Beatrice Alice Aurora Ginevra Sofia
            Giorgia Veronica Ilaria Simona Daniela Serena Cristina Monica
        """),
        last=_names("""
            Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco
            Bruno Gallo Conti De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti
            Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone
            Longo Gentile Martinelli Vitale Lombardo Serra Coppola De_Santis DAngelo
            Marchetti Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso
            Valentini Messina Sala De_Rosa Gatti Pellegrini Palumbo Sanna Farina
        """),
    ),
    "nl": NameLocale(
        "nl",
        male=_names("""
            Jan Johannes Pieter Cornelis Hendrik Willem Gerrit Dirk Jacobus Daan Sem
            Lucas Levi Thijs Bram Ruben Jesse Stijn Lars Koen Bas Joost Maarten Sander
            Wouter Jeroen Niels Tim Thomas Martijn Rutger Bart Erik Tom Vincent
        """),
        female=_names("""
            Maria Johanna Anna Cornelia Wilhelmina Elisabeth Emma Julia Sophie Tess
            Fenna Lotte Sanne Anouk Femke Lieke Iris Eva Fleur Lisa Marloes Esther
            Ingrid Annemiek Karin Linda Mirjam Petra Saskia Yvonne Nienke Roos Noor
        """),
        last=_names("""
            de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Janssen Visser Smit
            Meijer de_Boer Mulder de_Groot Bos Vos Peters Hendriks van_Leeuwen Dekker
            Brouwer de_Wit Dijkstra Smits de_Graaf van_der_Meer van_der_Linden Kok
            Jacobs de_Haan Vermeulen van_den_Heuvel van_der_Veen van_den_Broek de_Bruijn
            de_Bruin van_der_Heijden Schouten van_Beek Willems van_Vliet van_de_Ven
            Hoekstra Maas Verhoeven Koster van_Dam van_der_Wal Prins Blom Huisman
        """),
    ),
    "sv": NameLocale(
        "sv",
        male=_names("""
            Lars Anders Johan Per Erik Karl Nils Jan Mikael Hans Peter Fredrik Daniel
            Magnus Andreas Stefan Mattias Henrik Jonas Oskar Viktor Gustav Axel Emil
            Linus Filip Isak Olof Björn Göran
        """),
        female=_names("""
            Anna Eva Maria Karin Sara Kristina Lena Emma Kerstin Ingrid Marie Malin
            Jenny Hanna Linnea Elin Johanna Sofia Ida Annika Maja Ebba Frida Agnes
            Astrid Saga Elsa Märta Britt Sigrid
        """),
        last=_names("""
            Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson
            Svensson Gustafsson Pettersson Jonsson Jansson Hansson Bengtsson Jönsson
            Lindberg Jakobsson Magnusson Olofsson Lindström Lindqvist Lindgren Berg
            Axelsson Bergström Lundberg Lind Lundgren Lundqvist Mattsson Berglund
            Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund
        """),
    ),
    "pt": NameLocale(
        "pt",
        male=_names("""
            José João Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Luís
            Gabriel Rafael Daniel Marcelo Bruno Eduardo Felipe Rodrigo Gustavo
            Fernando Fábio Leonardo Thiago Mateus André Ricardo Vinícius Diego Igor
        """),
        female=_names("""
            Maria Ana Francisca Antônia Adriana Juliana Márcia Fernanda Patrícia
            Aline Camila Bruna Amanda Letícia Larissa Mariana Beatriz Gabriela
            Renata Vanessa Luana Jéssica Tatiana Débora Carolina Isabela Raquel
        """),
        last=_names("""
            Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes
            Costa Ribeiro Martins Carvalho Almeida Lopes Soares Fernandes Vieira
            Barbosa Rocha Dias Nascimento Andrade Moreira Nunes Marques Machado
            Mendes Freitas Cardoso Ramos Gonçalves Santana Teixeira Araújo Pinto
            da_Silva dos_Santos de_Souza Monteiro Moraes Correia Cavalcanti Batista
        """),
    ),
    "hi": NameLocale(
        "hi",
        male=_names("""
            Rahul Amit Rajesh Suresh Sanjay Vikram Arjun Rohan Anil Sunil Vijay Ravi
            Ajay Manoj Deepak Nikhil Karthik Arun Pradeep Ashok Ramesh Mahesh Harish
            Aditya Siddharth Varun Gaurav Abhishek Ankit Saurabh Prakash Venkatesh
            Srinivas Naveen Kiran Sandeep Vivek Akash Vishal Aarav
        """),
        female=_names("""
            Priya Anjali Pooja Neha Sneha Kavya Divya Lakshmi Deepika Swati Anita
            Sunita Meera Nisha Shreya Aishwarya Ananya Ritu Rekha Kavita Shweta
            Aditi Sangeeta Geeta Radha Preeti Archana Madhuri Pallavi Nandini
        """),
        last=_names("""
            Sharma Kumar Singh Patel Gupta Reddy Rao Iyer Nair Mehta Shah Joshi
            Verma Mishra Agarwal Chopra Malhotra Kapoor Bhatia Desai Pillai Menon
            Krishnan Srinivasan Subramanian Chatterjee Banerjee Mukherjee Das Bose
            Ghosh Sinha Jain Saxena Khanna Arora Thakur Naidu Kulkarni Deshpande
        """),
    ),
    "zh": NameLocale(
        "zh",
        male=_names("""
            Wei Jun Hao Lei Jie Tao Ming Qiang Yong Jian Bin Chao Gang Peng Hui Kai
            Feng Long Yang Bo Xin Yu Zhen Hong Liang Kevin Jason Eric Andy Vincent
        """),
        female=_names("""
            Li Na Jing Ying Yan Xiu Min Fang Hua Lan Mei Ling Xia Juan Hong Yun Qing
            Lili Ting Xue Yi Jia Grace Jessica Vivian Cindy Amy Helen Wendy Joyce
        """),
        last=_names("""
            Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He
            Lin Gao Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao
            Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao
            Tan Lim Ng Ong Goh Teo Chua Koh Chan Wong Leung Lau Ho Cheung
        """),
    ),
}
